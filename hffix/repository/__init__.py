"""Reading a repository, planning changes to it, rendering and applying them."""
