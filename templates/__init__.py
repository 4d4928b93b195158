"""Handbook templates, shipped as package data (salesflow.templates)."""
