"""This release of FaceRights. CHANGELOG.md says what each release changed for visitors and for hosts.

Shown by `scripts/facerights --version`, on /healthz and in every page's metadata (<meta name="generator">).
"""
VERSION = "0.15.1"
