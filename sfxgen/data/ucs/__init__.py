"""The Universal Category System list v8.2.1 (CC0, see LICENSE-CC0.txt)."""
