"""Renderers: data in, text (or rich renderables) out. Nothing here prints."""
