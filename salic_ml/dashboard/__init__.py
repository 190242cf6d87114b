"""Server-rendered dashboards for evaluators: ranked list, project diagnosis, segment view, feedback."""
