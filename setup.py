# For scrapyd-deploy, which builds its egg with setup.py: the metadata is in pyproject.toml.
from setuptools import setup

setup()
