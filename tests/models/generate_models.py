#!/usr/bin/python3
"""Generates the TorchScript fixture models the tests convert (random init, no downloads)."""
import os
import sys

os.makedirs(sys.argv[1], exist_ok=True)
