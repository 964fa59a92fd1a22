#!/usr/bin/env python
from gezien.manage import main

if __name__ == "__main__":
    main()
