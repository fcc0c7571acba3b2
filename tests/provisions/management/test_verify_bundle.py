import pytest
from django.core.management import CommandError, call_command


def test_a_file_that_is_not_a_bundle_fails_in_one_line(tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="does not verify: not a zip file"):
        call_command("verify_bundle", str(path))


def test_a_missing_file_fails_in_one_line(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("verify_bundle", str(tmp_path / "absent.zip"))
