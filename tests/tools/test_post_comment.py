"""tools/post_comment.py against a real HTTP server on 127.0.0.1 that plays GitHub and records requests."""
import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
POST = os.path.join(REPO, "tools", "post_comment.py")
TOKEN = "ghs_secretTOKEN1234567890"
MARKER = "<!-- ci-bench-report -->"
HEAD = "0123456789abcdef0123456789abcdef01234567"


class FakeGitHub(BaseHTTPRequestHandler):
    """Serves comment lists from `server.comments`, records every request, or fails as told."""

    def log_message(self, *args):
        pass

    def reply(self, status, payload, headers=None):
        body = json.dumps(payload).encode()
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        self.server.requests.append((self.command, self.path, dict(self.headers), body))
        if self.server.fail == "drop":
            self.close_connection = True  # no reply at all
            return None
        if self.server.fail == "endless":  # full pages for ever
            return self.reply(200, [{"id": i, "body": "someone else"} for i in range(100)])
        if self.server.fail == "object":
            return self.reply(200, {"message": "a list was expected"})
        if self.command == "GET" and "/pulls/" in self.path:
            return self.reply(200, {"number": 7, "head": {"sha": self.server.head_sha}})
        if self.server.fail:
            status, headers = self.server.fail
            return self.reply(status, {"message": self.server.message or f"Bad credentials for {TOKEN}"}, headers)
        if self.command == "GET":
            page = int(parse_qs(urlsplit(self.path).query)["page"][0])
            return self.reply(200, self.server.comments[(page - 1) * 100: page * 100])
        if self.command == "POST":
            comment = {"id": len(self.server.comments) + 1, "body": body["body"], "html_url": "http://x/c/new"}
            self.server.comments.append(comment)
            return self.reply(201, comment)
        if self.command == "PATCH":
            cid = int(self.path.rsplit("/", 1)[1])
            for c in self.server.comments:
                if c["id"] == cid:
                    c["body"] = body["body"]
                    return self.reply(200, dict(c, html_url=f"http://x/c/{cid}"))
            return self.reply(404, {"message": "Not Found"})

    do_GET = do_POST = do_PATCH = handle_any


class PostComment(unittest.TestCase):
    def setUp(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
        self.server.requests, self.server.comments, self.server.fail, self.server.message = [], [], None, None
        self.server.head_sha = HEAD
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        body = tempfile.NamedTemporaryFile("w", suffix=".md", delete=False)
        body.write(MARKER + "\n🟢 **ci-bench: no regressions**\n")
        body.close()
        self.body = body.name
        self.addCleanup(os.unlink, body.name)

    def post(self, *extra, api_url=None):
        env = dict(os.environ, GITHUB_TOKEN=TOKEN, GITHUB_API_URL=api_url or f"http://127.0.0.1:{self.server.server_port}")
        return subprocess.run([sys.executable, POST, "--repo", "team/proj", "--pr", "7", "--body-file", self.body, *extra],
                              capture_output=True, text=True, env=env, timeout=60)

    def test_creates_once_then_updates_the_same_comment(self):
        first = self.post()
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("created comment", first.stdout)
        second = self.post()
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertIn("updated comment http://x/c/1", second.stdout)
        self.assertEqual(len(self.server.comments), 1)
        methods = [(m, p.split("?")[0]) for m, p, _, _ in self.server.requests]
        self.assertEqual(methods, [("GET", "/repos/team/proj/issues/7/comments"), ("POST", "/repos/team/proj/issues/7/comments"),
                                   ("GET", "/repos/team/proj/issues/7/comments"), ("PATCH", "/repos/team/proj/issues/comments/1")])
        headers = self.server.requests[0][2]
        self.assertEqual(headers["Authorization"], f"Bearer {TOKEN}")
        self.assertEqual(headers["Accept"], "application/vnd.github+json")

    def test_finds_its_comment_on_a_later_page(self):
        self.server.comments = [{"id": i, "body": f"someone else {i}"} for i in range(1, 151)]
        self.server.comments[120]["body"] = MARKER + " old report"
        proc = self.post()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("updated comment http://x/c/121", proc.stdout)
        self.assertEqual(len(self.server.comments), 150)

    def test_errors_are_clear_and_never_show_the_token(self):
        cases = [(401, {}, "the token was rejected"), (403, {}, "pull-requests: write"),
                 (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1700000000"}, "rate limit is used up; it resets at"),
                 (404, {}, "not found; check --repo and --pr"), (422, {}, "GitHub rejected the comment")]
        for status, headers, expected in cases:
            with self.subTest(status=status, headers=headers):
                self.server.fail = (status, headers)
                proc = self.post()
                self.assertNotEqual(proc.returncode, 0)
                self.assertIn(expected, proc.stderr)
                self.assertNotIn(TOKEN, proc.stderr + proc.stdout)

    def test_a_hostile_answer_or_body_acts_on_no_terminal_log_or_comment(self):
        # The server's message is quoted in the error: no escape sequence, no workflow command in the CI log.
        self.server.fail, self.server.message = (403, {}), "no\x1b]0;pwned\x07\n::error::forged ##[warning]old \u202e"
        proc = self.post()
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("forged", proc.stderr)
        for raw in ("\x1b", "\x07", "\u202e", "##["):
            self.assertNotIn(raw, proc.stderr)
        self.assertFalse(any(line.lstrip().startswith("::") for line in proc.stderr.splitlines()), proc.stderr)
        # The body is posted with its control characters and overrides shown, not raw.
        self.server.fail = None
        with open(self.body, "w") as f:
            f.write(MARKER + "\n`a\x1b[2Jb` \u202edesrever\n")
        self.assertEqual(self.post().returncode, 0)
        self.assertEqual(self.server.comments[0]["body"], MARKER + "\n`a\\x1b[2Jb` \\u{202e}desrever\n")

    def test_a_dropped_connection_is_an_error_not_a_traceback(self):
        self.server.fail = "drop"
        proc = self.post()
        self.assertEqual(proc.returncode, 1)
        self.assertIn("no usable answer from GitHub", proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)

    def test_posts_only_when_the_pull_requests_head_is_the_measured_commit(self):
        proc = self.post("--head-sha", HEAD)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.server.requests[0][:2], ("GET", "/repos/team/proj/pulls/7"))
        self.server.requests = []
        proc = self.post("--head-sha", "f" * 40)  # the artifact named a PR whose head is another commit
        self.assertEqual(proc.returncode, 1)
        self.assertIn(f"pull request #7's head is '{HEAD}', not '{'f' * 40}'", proc.stderr)
        self.assertEqual([m for m, *_ in self.server.requests], ["GET"])  # nothing posted

    def test_a_server_that_keeps_returning_full_pages_is_given_up_on(self):
        self.server.fail = "endless"
        proc = self.post()
        self.assertEqual(proc.returncode, 1)
        self.assertIn("still full pages after 5000 comments; giving up", proc.stderr)
        self.assertEqual(len(self.server.requests), 50)

    def test_odd_answers_and_settings_end_in_a_message_not_a_traceback(self):
        self.server.fail = "object"
        cases = [((), None, "expected a list of comments, got dict"),
                 (("--head-sha", HEAD), None, "the answer names no head commit")]
        for extra, api_url, expected in cases:
            with self.subTest(expected=expected):
                proc = self.post(*extra, api_url=api_url)
                self.assertEqual(proc.returncode, 1)
                self.assertIn(expected, proc.stderr)
                self.assertNotIn("Traceback", proc.stderr)
        self.server.fail = None
        self.server.comments = [{"body": MARKER + " a comment without an id"}]
        proc = self.post()
        self.assertIn("the ci-bench comment has no numeric id", proc.stderr)
        proc = self.post(api_url=f"127.0.0.1:{self.server.server_port}")
        self.assertIn("GITHUB_API_URL must be an http(s) URL", proc.stderr)
        self.server.fail = (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9" * 30})
        proc = self.post()
        self.assertIn("rate limit is used up; it resets later", proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)

    def test_a_missing_token_or_body_is_an_error(self):
        env = {k: v for k, v in os.environ.items() if k != "GITHUB_TOKEN"}
        proc = subprocess.run([sys.executable, POST, "--repo", "a/b", "--pr", "1", "--body-file", self.body],
                              capture_output=True, text=True, env=env)
        self.assertIn("GITHUB_TOKEN is not set", proc.stderr)
        proc = subprocess.run([sys.executable, POST, "--repo", "a/b", "--pr", "1", "--body-file", "/nonexistent.md"],
                              capture_output=True, text=True, env=dict(os.environ, GITHUB_TOKEN=TOKEN))
        self.assertIn("/nonexistent.md", proc.stderr)
        self.assertEqual(self.server.requests, [])


if __name__ == "__main__":
    unittest.main()
