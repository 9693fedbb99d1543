"""The library functions behind the commands and the app: they never print and never exit.

``reports`` validates and renders one data file, ``convert`` converts it, ``check`` reviews a
published report, ``aggregate`` sums a county's departments. Above ``importing``, ``rules`` and
``render``; below ``batch`` and the command line.
"""
