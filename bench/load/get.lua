-- A plain GET (JWKS, discovery).
dofile(os.getenv("LOAD_DIR") .. "/report.lua")
