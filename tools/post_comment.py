#!/usr/bin/env python3
"""Creates or updates ci-bench's one sticky comment on a pull request, through GitHub's REST API.

    GITHUB_TOKEN=... tools/post_comment.py --repo owner/name --pr 123 --body-file comment.md

The comment is found again by the hidden marker tools/report.py puts on its first line, so each
run edits the same comment instead of adding one. The token is read from GITHUB_TOKEN only and
never appears in output or errors. GITHUB_API_URL (set by GitHub Actions) overrides the API address.
"""
import argparse
import http.client
import json
import os
import sys
import time
import urllib.error
import urllib.request

MARKER = "<!-- ci-bench-report -->"


class PostError(Exception):
    pass


class GitHub:
    def __init__(self, api_url, token):
        self.api_url = api_url.rstrip("/")
        self.token = token

    def scrub(self, text):
        return text.replace(self.token, "***") if self.token else text

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.api_url + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.token}", "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "ci-bench-post-comment",
            "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as e:
            raise PostError(self.scrub(self.explain(method, path, e))) from None
        except urllib.error.URLError as e:
            raise PostError(self.scrub(f"{method} {self.api_url}{path}: cannot reach GitHub: {e.reason}")) from None
        except (http.client.HTTPException, OSError, ValueError) as e:  # dropped connection, garbled reply
            raise PostError(self.scrub(f"{method} {self.api_url}{path}: no usable answer from GitHub: {e!r}")) from None

    @staticmethod
    def explain(method, path, e):
        try:
            message = json.loads(e.read() or b"{}").get("message", "")
        except (ValueError, AttributeError):
            message = ""
        where = f"{method} {path}: HTTP {e.code}"
        if e.code == 401:
            return f"{where}: the token was rejected; check the GITHUB_TOKEN secret"
        if e.code in (403, 429) and (e.headers.get("X-RateLimit-Remaining") == "0" or e.code == 429):
            reset = e.headers.get("X-RateLimit-Reset")
            when = time.strftime("%H:%M:%S UTC", time.gmtime(int(reset))) if reset and reset.isdigit() else "later"
            return f"{where}: GitHub's rate limit is used up; it resets at {when}"
        if e.code == 403:
            return f"{where}: forbidden; the token needs `pull-requests: write` (or `issues: write`) permission. {message}".strip()
        if e.code == 404:
            return f"{where}: not found; check --repo and --pr, and that the token can see the repository"
        if e.code == 422:
            return f"{where}: GitHub rejected the comment: {message or 'unprocessable'} (is it over 65 536 characters?)"
        return f"{where}: {message}".strip()


def find_sticky(gh, repo, pr):
    page = 1
    while True:
        comments = gh.request("GET", f"/repos/{repo}/issues/{pr}/comments?per_page=100&page={page}")
        for c in comments or []:
            if MARKER in (c.get("body") or ""):
                return c
        if not comments or len(comments) < 100:
            return None
        page += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", required=True, help="owner/name")
    parser.add_argument("--pr", required=True, type=int, help="pull request number")
    parser.add_argument("--body-file", required=True, help="the comment, as tools/report.py writes it")
    args = parser.parse_args()
    token = os.environ.get("GITHUB_TOKEN", "")
    if not token:
        sys.exit("post_comment.py: GITHUB_TOKEN is not set")
    if args.repo.count("/") != 1 or any(c in args.repo for c in "?#% "):
        sys.exit(f"post_comment.py: --repo must be owner/name, not {args.repo!r}")
    try:
        with open(args.body_file, encoding="utf-8") as f:
            body = f.read()
    except OSError as e:
        sys.exit(f"post_comment.py: {args.body_file}: {e.strerror}")
    if MARKER not in body:
        body = MARKER + "\n" + body
    gh = GitHub(os.environ.get("GITHUB_API_URL", "https://api.github.com"), token)
    try:
        existing = find_sticky(gh, args.repo, args.pr)
        if existing:
            c = gh.request("PATCH", f"/repos/{args.repo}/issues/comments/{existing['id']}", {"body": body})
            print(f"updated comment {c.get('html_url', existing['id'])}")
        else:
            c = gh.request("POST", f"/repos/{args.repo}/issues/{args.pr}/comments", {"body": body})
            print(f"created comment {c.get('html_url', c.get('id'))}")
    except PostError as e:
        sys.exit(f"post_comment.py: {e}")


if __name__ == "__main__":
    main()
