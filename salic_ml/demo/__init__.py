"""Demo tooling: the synthetic SALIC generator behind salic_generate and salic_demo."""
