"""Reading a draft: bytes → text (encoding detected) → data with the position of every node."""
