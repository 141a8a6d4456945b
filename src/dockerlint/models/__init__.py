"""Normalized models that rules judge. Import the submodules directly:

``dockerlint.models.base`` (spans), ``.image`` (ImageBuild), ``.container``
(Container, ClientEnv), ``.daemon`` (Daemon).
"""
