# decoder: tables, decode, format, and its tests
