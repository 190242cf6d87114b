"""The web API wing: DRF views, serializers and URLs of /api/salic/."""
