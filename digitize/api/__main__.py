"""`python -m digitize.api [--host 127.0.0.1] [--port 8000]`: the HTTP service under uvicorn."""
import argparse

import uvicorn


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m digitize.api")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    uvicorn.run("digitize.api.serve:settings_app", factory=True, host=args.host, port=args.port,
                workers=args.workers, proxy_headers=True)


if __name__ == "__main__":  # not when a forkserver child imports it
    main()
