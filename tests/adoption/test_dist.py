"""`make dist` (ci/dist.sh) in a clean clone of ci-bench: the source tarball records the commit it
came from, so that a ci-bench built from it (no git) still pins that commit in `init`'s workflows;
SHA256SUMS verifies; uncommitted changes, and a package of another commit, are refused. The .deb
is a small stand-in made by dpkg-deb holding only the package's share/ci-bench/source.txt: the
real one is installed and used by ci/try-deb.sh."""
import os
import shutil
import tarfile

from adoption_test import SOURCE_DIR, AdoptionTest, run


class Dist(AdoptionTest):
    def clone(self):
        clone = os.path.join(self.dir, "ci-bench")
        self.check("git", "clone", "-q", SOURCE_DIR, clone)
        self.check("git", "-C", clone, "remote", "set-url", "origin", "https://github.com/acme/ci-bench.git")
        self.check("git", "-C", clone, "-c", "user.name=t", "-c", "user.email=t@example.com", "tag", "-a", "v9.1.0", "-m", "v9.1.0")
        commit = self.check("git", "-C", clone, "rev-parse", "HEAD").stdout.strip()
        build = os.path.join(self.dir, "build")
        os.makedirs(build)
        self.package(build, commit)
        return clone, build

    def package(self, build, commit, modified=""):
        tree = os.path.join(self.dir, "package")
        shutil.rmtree(tree, ignore_errors=True)
        os.makedirs(os.path.join(tree, "DEBIAN"))
        os.makedirs(os.path.join(tree, "usr", "share", "ci-bench"))
        with open(os.path.join(tree, "DEBIAN", "control"), "w") as f:
            f.write("Package: ci-bench\nVersion: 0.1.0\nArchitecture: amd64\nMaintainer: t <t@example.com>\n"
                    "Description: stand-in\n")
        with open(os.path.join(tree, "usr", "share", "ci-bench", "source.txt"), "w") as f:
            f.write(f"repository=acme/ci-bench\ncommit={commit}\ntag=\nmodified={modified}\n")
        self.check("dpkg-deb", "--build", "--root-owner-group", tree, os.path.join(build, "ci-bench_0.1.0_amd64.deb"))

    def test_the_tarball_records_its_commit_and_a_build_from_it_pins_that_commit(self):
        clone, build = self.clone()
        commit = self.check("git", "-C", clone, "rev-parse", "HEAD").stdout.strip()
        self.check("bash", os.path.join(clone, "ci", "dist.sh"), build)
        dist = os.path.join(build, "dist")
        self.assertEqual(sorted(os.listdir(dist)), ["SHA256SUMS", "ci-bench-0.1.0.tar.gz", "ci-bench_0.1.0_amd64.deb"])
        self.check("sha256sum", "-c", "SHA256SUMS", cwd=dist)
        with open(os.path.join(dist, "ci-bench_0.1.0_amd64.deb"), "rb") as f, \
                open(os.path.join(build, "ci-bench_0.1.0_amd64.deb"), "rb") as made:
            self.assertEqual(f.read(), made.read())

        with tarfile.open(os.path.join(dist, "ci-bench-0.1.0.tar.gz")) as tar:
            names = tar.getnames()
            self.assertIn("ci-bench-0.1.0/CMakeLists.txt", names)
            self.assertIn("ci-bench-0.1.0/harness/src/main.cpp", names)
            self.assertFalse([n for n in names if "/.git/" in n or n.endswith("/.git")])
            recorded = tar.extractfile("ci-bench-0.1.0/ci-bench-source.txt").read().decode()
            tar.extractall(self.dir)
        self.assertEqual(recorded, f"repository=acme/ci-bench\ncommit={commit}\ntag=v9.1.0\n")

        # Built from the tarball, without git: init's default pin is the tarball's commit and tag.
        source = os.path.join(self.dir, "ci-bench-0.1.0")
        configured = os.path.join(self.dir, "from-tarball")
        self.check("cmake", "-S", source, "-B", configured, "-DCIBENCH_DRIVER_ONLY=ON")
        self.check("cmake", "--build", configured, "--target", "cibench_source_pin")
        with open(os.path.join(configured, "share", "ci-bench", "source.txt")) as f:
            self.assertEqual(f.read(), f"repository=acme/ci-bench\ncommit={commit}\ntag=v9.1.0\nmodified=\n")

        # The same commit gives the same bytes.
        first = open(os.path.join(dist, "SHA256SUMS")).read()
        self.check("bash", os.path.join(clone, "ci", "dist.sh"), build)
        self.assertEqual(open(os.path.join(dist, "SHA256SUMS")).read(), first)

    def test_a_package_of_another_commit_or_a_tag_not_on_head_is_refused(self):
        clone, build = self.clone()
        self.package(build, "0" * 40)
        proc = run("bash", os.path.join(clone, "ci", "dist.sh"), build)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("was not built from", proc.stderr)
        commit = self.check("git", "-C", clone, "rev-parse", "HEAD").stdout.strip()
        self.package(build, commit, modified="yes")
        self.assertEqual(run("bash", os.path.join(clone, "ci", "dist.sh"), build).returncode, 1)
        self.package(build, commit)
        env = dict(os.environ, CIBENCH_RELEASE_TAG="v8.0.0")
        proc = run("bash", os.path.join(clone, "ci", "dist.sh"), build, env=env)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("the tag v8.0.0 does not name HEAD", proc.stderr)
        env["CIBENCH_RELEASE_TAG"] = "v9.1.0"
        self.check("bash", os.path.join(clone, "ci", "dist.sh"), build, env=env)

    def test_uncommitted_changes_are_refused(self):
        clone, build = self.clone()
        with open(os.path.join(clone, "README.md"), "a") as f:
            f.write("\nlocal change\n")
        proc = run("bash", os.path.join(clone, "ci", "dist.sh"), build)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("uncommitted changes to tracked files", proc.stderr)
        self.assertFalse(os.path.exists(os.path.join(build, "dist")))
