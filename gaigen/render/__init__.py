"""Renderers: each turns a ``gaigen.render.context.Context`` into the bytes of one output format."""
