"""The pieces of tools/build_demo.py, which builds the shipped demo place."""
