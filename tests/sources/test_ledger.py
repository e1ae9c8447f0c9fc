"""The file ledger: unchanged files are skipped, changed ones read again, and nothing counts until committed."""

import os

from assets.sources import FileLedger, SourceSpec, iter_source


def read(folder, state, ledger):
    spec = SourceSpec(name="inbox", kind="folder", path=str(folder))
    return list(iter_source(spec, root=folder.parent, state_dir=state, ledger=ledger))


def test_unchanged_files_are_skipped_once_the_ledger_is_committed(tmp_path):
    folder, state = tmp_path / "inbox", tmp_path / "state"
    folder.mkdir()
    (folder / "a.txt").write_text("Title\nFour soldiers were wounded.\n")
    ledger = FileLedger.load(state / "files.json")
    assert len(read(folder, state, ledger)) == 1
    again = FileLedger.load(state / "files.json")
    assert len(read(folder, state, again)) == 1, "not committed yet: the file is read again"
    again.commit()
    third = FileLedger.load(state / "files.json")
    assert read(folder, state, third) == []
    assert third.skipped == [str((folder / "a.txt").resolve())]


def test_a_modified_file_is_read_again(tmp_path):
    folder, state = tmp_path / "inbox", tmp_path / "state"
    folder.mkdir()
    path = folder / "a.txt"
    path.write_text("Title\nFour soldiers were wounded.\n")
    ledger = FileLedger.load(state / "files.json")
    read(folder, state, ledger)
    ledger.commit()
    path.write_text("Title\nFive soldiers were wounded.\n")
    os.utime(path, ns=(1, 1))  # a different modification time, whatever the clock's resolution
    assert len(read(folder, state, FileLedger.load(state / "files.json"))) == 1


def test_a_corrupt_ledger_reads_everything(tmp_path):
    (tmp_path / "files.json").write_text("{not json")
    assert FileLedger.load(tmp_path / "files.json").files == {}
