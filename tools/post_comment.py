#!/usr/bin/env python3
"""Creates or updates ci-bench's one sticky comment on a pull request, through GitHub's REST API.

    GITHUB_TOKEN=... tools/post_comment.py --repo owner/name --pr 123 --body-file comment.md

The comment is found again by the hidden marker tools/report.py puts on its first line, so each
run edits the same comment instead of adding one. The token is read from GITHUB_TOKEN only and
never appears in output or errors. GITHUB_API_URL (set by GitHub Actions) overrides the API address.

--head-sha SHA refuses to post unless the pull request's head commit is SHA: the PR number comes from
a run's artifact, which a fork controls, and must not be able to name another pull request.
Whatever the server answers, the script ends with a message, never a traceback, and what it prints
of the answer cannot act on a terminal or a CI log.
"""
import argparse
import http.client
import json
import os
import sys
import time
import urllib.error
import urllib.request

from visible_text import log_text, visible

MARKER = "<!-- ci-bench-report -->"
PER_PAGE = 100
MAX_PAGES = 50  # 5 000 comments: a server that keeps returning full pages must not keep us paging forever


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
        try:
            req = urllib.request.Request(self.api_url + path, data=data, method=method, headers={
                "Authorization": f"Bearer {self.token}", "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "ci-bench-post-comment",
                "Content-Type": "application/json"})
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
            when = "later"
            if reset and reset.isdigit() and len(reset) < 12:  # a huge number is no time gmtime can show
                when = time.strftime("at %H:%M:%S UTC", time.gmtime(int(reset)))
            return f"{where}: GitHub's rate limit is used up; it resets {when}"
        if e.code == 403:
            return f"{where}: forbidden; the token needs `pull-requests: write` (or `issues: write`) permission. {message}".strip()
        if e.code == 404:
            return f"{where}: not found; check --repo and --pr, and that the token can see the repository"
        if e.code == 422:
            return f"{where}: GitHub rejected the comment: {message or 'unprocessable'} (is it over 65 536 characters?)"
        return f"{where}: {message}".strip()


def find_sticky(gh, repo, pr):
    path = f"/repos/{repo}/issues/{pr}/comments"
    for page in range(1, MAX_PAGES + 1):
        comments = gh.request("GET", f"{path}?per_page={PER_PAGE}&page={page}")
        if not isinstance(comments, list):
            raise PostError(f"GET {path}: expected a list of comments, got {type(comments).__name__}")
        for c in comments:
            body = c.get("body") if isinstance(c, dict) else None
            if isinstance(body, str) and MARKER in body:
                if isinstance(c.get("id"), bool) or not isinstance(c.get("id"), int):
                    raise PostError(f"GET {path}: the ci-bench comment has no numeric id")
                return c
        if len(comments) < PER_PAGE:
            return None
    raise PostError(f"GET {path}: still full pages after {MAX_PAGES * PER_PAGE} comments; giving up")


def check_head(gh, repo, pr, head_sha):
    """Refuses unless the pull request's head is the commit the results are for."""
    pull = gh.request("GET", f"/repos/{repo}/pulls/{pr}")
    head = pull.get("head") if isinstance(pull, dict) else None
    actual = head.get("sha") if isinstance(head, dict) else None
    if not isinstance(actual, str):
        raise PostError(f"GET /repos/{repo}/pulls/{pr}: the answer names no head commit")
    if actual != head_sha:
        raise PostError(f"pull request #{pr}'s head is {actual[:40]!r}, not {head_sha!r}, the commit the results are "
                        "for: not posting (a stale run, or a PR number that names another pull request)")


def url(c, fallback):
    return c.get("html_url", fallback) if isinstance(c, dict) else fallback


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", required=True, help="owner/name")
    parser.add_argument("--pr", required=True, type=int, help="pull request number")
    parser.add_argument("--body-file", required=True, help="the comment, as tools/report.py writes it")
    parser.add_argument("--head-sha", help="post only if the pull request's head commit is this one")
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
    body = visible(body, keep="\t\n")  # the last guard: no ESC, no direction override reaches the PR
    api_url = os.environ.get("GITHUB_API_URL") or "https://api.github.com"
    if not api_url.startswith(("https://", "http://")) or any(c.isspace() for c in api_url):
        sys.exit(f"post_comment.py: GITHUB_API_URL must be an http(s) URL such as https://api.github.com, not {api_url!r}")
    gh = GitHub(api_url, token)
    try:
        if args.head_sha:
            check_head(gh, args.repo, args.pr, args.head_sha)
        existing = find_sticky(gh, args.repo, args.pr)
        if existing:
            c = gh.request("PATCH", f"/repos/{args.repo}/issues/comments/{existing['id']}", {"body": body})
            print(f"updated comment {log_text(url(c, existing['id']))}")
        else:
            c = gh.request("POST", f"/repos/{args.repo}/issues/{args.pr}/comments", {"body": body})
            print(f"created comment {log_text(url(c, '(no address in the answer)'))}")
    except PostError as e:  # it quotes the server's answer: shown as text, never as a workflow command
        sys.exit(f"post_comment.py: {log_text(e)}")


if __name__ == "__main__":
    main()
