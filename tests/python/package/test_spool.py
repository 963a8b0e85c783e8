"""instantly.webhooks.Spool, the binding of the C++ spool (instantly/webhooks/spool.hpp) the Python
receiver acknowledges deliveries from: append, read, commit and rewind; a restart resuming at the
committed position; a record cut short at the end (a crash mid-append) dropped at reopen, damage
before the end refused with the segment's name; the bound; one owner per directory.
(The format itself: docs/nothing-lost.md; the receivers draining each other's spools:
tests/python/test_receiver_spool.py.)"""
from __future__ import annotations

import os
import re
import threading

import pytest

import instantly
from instantly import webhooks

BODIES = [b'{"event_type": "email_sent", "n": 1}', b"not json at all \xff\xfe", b"", b"x" * 5000]


def segments(directory) -> list[str]:
    return sorted(name for name in os.listdir(directory) if re.fullmatch(r"segment-\d{20}\.spool", name))


def bodies(batch) -> list[bytes]:
    return [delivery.body for delivery in batch.deliveries]


def test_append_read_commit_and_rewind(tmp_path):
    with webhooks.Spool(tmp_path / "s") as spool:
        for i, body in enumerate(BODIES):
            spool.append(body, "application/json" if i == 0 else "")
        assert spool.usage().pending == len(BODIES)

        first = spool.read(2)
        assert bodies(first) == BODIES[:2] and len(first) == 2
        delivery = first.deliveries[0]
        assert delivery.content_type == "application/json" and first.deliveries[1].content_type == ""
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", delivery.received_at), delivery.received_at
        assert "<36 bytes>" in repr(delivery) and "email_sent" not in repr(delivery)  # no body in a repr
        # A forwarder reads ahead: the next batch follows the last one handed out, not the committed position.
        second = spool.read(10)
        assert bodies(second) == BODIES[2:]
        assert len(spool.read(10)) == 0

        # The store refused: everything after the committed position is read again.
        spool.rewind()
        again = spool.read(10)
        assert bodies(again) == BODIES and again.end == second.end
        spool.commit(again.end)
        assert spool.committed() == again.end
        usage = spool.usage()
        assert usage.pending == 0 and usage.max_bytes == 1 << 30 and 0 < usage.bytes and usage.fill < 0.001
        assert len(spool.read(10)) == 0


def test_a_restart_resumes_at_the_committed_position(tmp_path):
    directory = tmp_path / "s"
    with webhooks.Spool(directory) as spool:
        for n in range(5):
            spool.append(b"delivery %d" % n)
        spool.commit(spool.read(2).end)
        assert bodies(spool.read(10)) == [b"delivery 2", b"delivery 3", b"delivery 4"]  # read, never committed
    with webhooks.Spool(str(directory)) as spool:
        assert spool.usage().pending == 3
        assert bodies(spool.read(10)) == [b"delivery 2", b"delivery 3", b"delivery 4"]


def test_segments_roll_over_and_committed_ones_are_deleted(tmp_path):
    directory = tmp_path / "s"
    with webhooks.Spool(directory, segment_bytes=4096) as spool:
        for n in range(40):
            spool.append(b"%03d" % n + b"." * 500)
        assert len(segments(directory)) > 3
        before = spool.usage().bytes
        read = []
        while batch := spool.read(7):
            read += bodies(batch)
            spool.commit(batch.end)
        assert [body[:3] for body in read] == [b"%03d" % n for n in range(40)]
        assert len(segments(directory)) == 1 and spool.usage().bytes < before


def test_a_torn_tail_is_dropped_at_reopen(tmp_path):
    directory = tmp_path / "s"
    with webhooks.Spool(directory) as spool:
        spool.append(b"whole")
        spool.append(b"cut short by the crash")
    [segment] = segments(directory)
    path = directory / segment
    os.truncate(path, os.path.getsize(path) - 7)  # the second record's CRC and the end of its body
    with webhooks.Spool(directory) as spool:
        assert bodies(spool.read(10)) == [b"whole"]
        spool.append(b"after the crash")  # goes where the torn record was, not after its remains
        assert bodies(spool.read(10)) == [b"after the crash"]
    with webhooks.Spool(directory) as spool:
        assert bodies(spool.read(10)) == [b"whole", b"after the crash"]


def test_damage_before_the_end_is_an_error_naming_the_segment(tmp_path):
    directory = tmp_path / "s"
    with webhooks.Spool(directory) as spool:
        for body in (b"first", b"second-BODY-to-damage", b"third"):
            spool.append(body)
    [segment] = segments(directory)
    path = directory / segment
    data = bytearray(path.read_bytes())
    where = data.index(b"BODY")
    data[where] ^= 0xFF  # a flipped bit inside the second record: its CRC fails, the third is intact
    path.write_bytes(bytes(data))
    with pytest.raises(instantly.SpoolError) as info:
        webhooks.Spool(directory)
    assert segment in str(info.value)
    assert not isinstance(info.value, instantly.SpoolFullError)
    assert path.read_bytes() == bytes(data)  # nothing truncated: damage is for a person to look at


def test_the_bound_is_a_spool_full_error(tmp_path):
    with webhooks.Spool(tmp_path / "s", max_bytes=2000, segment_bytes=100_000) as spool:
        appended = 0
        with pytest.raises(instantly.SpoolFullError) as info:
            while True:
                spool.append(b"y" * 300)
                appended += 1
        assert isinstance(info.value, instantly.SpoolError)
        assert str(tmp_path / "s") in str(info.value)
        usage = spool.usage()
        assert 3 <= appended == usage.pending and usage.bytes <= 2000 and usage.fill > 0.8
        assert len(spool.read(100)) == appended  # a refused append left nothing behind


def test_a_second_spool_on_one_directory_is_refused(tmp_path):
    directory = tmp_path / "s"
    with webhooks.Spool(directory):
        with pytest.raises(instantly.SpoolError) as info:
            webhooks.Spool(directory)
        assert str(directory) in str(info.value)
    with webhooks.Spool(directory) as spool:  # closed: the directory is free again
        assert spool.directory == str(directory)


def test_read_waits_for_an_append_and_close_wakes_it(tmp_path):
    with webhooks.Spool(tmp_path / "s") as spool:
        got: list = []
        reader = threading.Thread(target=lambda: got.append(spool.read(5, wait=60)))
        reader.start()
        spool.append(b"late")  # the reader, waiting with the GIL released, gets it
        reader.join(30)
        assert not reader.is_alive() and bodies(got[0]) == [b"late"]

        reader = threading.Thread(target=lambda: got.append(spool.read(5, wait=60)))
        reader.start()
        spool.close()
        reader.join(30)
        assert not reader.is_alive() and len(got[1]) == 0
        with pytest.raises(instantly.SpoolError):
            spool.append(b"after close")


def test_bad_arguments_are_clear_errors(tmp_path):
    with webhooks.Spool(tmp_path / "s") as spool:
        with pytest.raises(TypeError, match="bytes"):
            spool.append("a str body")  # type: ignore[arg-type]
        spool.append(bytearray(b"a bytearray"))
        spool.append(memoryview(b"a memoryview"))
        assert bodies(spool.read(5)) == [b"a bytearray", b"a memoryview"]
        with pytest.raises(instantly.ValidationError):
            spool.read(5, wait=-1)
    with pytest.raises(instantly.ValidationError):
        webhooks.Spool(tmp_path / "t", max_bytes=0)
