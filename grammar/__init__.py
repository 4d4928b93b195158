"""The process grammar, shipped as package data (salesflow.grammar)."""
