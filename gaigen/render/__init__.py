"""Renderers: each turns a ``gaigen.context.Context`` into the bytes of one output format."""
