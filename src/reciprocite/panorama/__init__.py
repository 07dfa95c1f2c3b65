"""The public panorama: figures, charts and maps of the registry and of the study's survey."""
