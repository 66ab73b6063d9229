"""bench/profile_build.py puts each py-spy sample of a build in the part of the build it
was taken in: the extraction workers, a sub-writer adding documents or committing, or the
main process. The stacks are py-spy's raw format, as a ``--workers 2`` build gives them."""

from __future__ import annotations

from pathlib import Path

from bench.profile_build import PARTS, group

MAIN = "process 10:\"python bench/build_cpu.py\";main (bench/build_cpu.py:68)"
SUB_ADD = (MAIN + ";WhooshWriter._drain (indexer/engines/whoosh/writer.py:231);"
           "SubWriterTask.run (whoosh/multiproc.py:112);add_pooled "
           "(indexer/engines/whoosh/pool.py:260)")
SUB_COMMIT = MAIN + ";SubWriterTask.run (whoosh/multiproc.py:123);SegmentWriter._finalize_segment"


def test_samples_are_grouped_by_the_part_of_the_build(tmp_path: Path) -> None:
    samples = tmp_path / "build.samples"
    samples.write_text("\n".join([
        MAIN + ";_results (indexer/build.py:167);worker (pool.py:125);process_file (indexer/build.py:150) 30",
        SUB_ADD + ";NewsText._terms (indexer/engines/whoosh/fieldtypes.py:46);term_positions "
                  "(indexer/analysis.py:130) 12",
        SUB_ADD + ";NewsKeyword._terms (indexer/engines/whoosh/fieldtypes.py:71) 3",
        SUB_ADD + ";FieldType.index (whoosh/fields.py:184);NltkStemFilter.__call__ 7",
        SUB_ADD + ";TermPool.add_terms (indexer/engines/whoosh/pool.py:140) 5",
        SUB_COMMIT + ";ArrayPostingsWriter.write_term (indexer/engines/whoosh/codec.py:394) 9",
        SUB_COMMIT + ";TermPool._read_run (indexer/engines/whoosh/pool.py:60) 2",
        MAIN + ";WhooshWriter._drain (indexer/engines/whoosh/writer.py:231);pickle 4",
        MAIN + ";WhooshWriter._drain (indexer/engines/whoosh/writer.py:231);PooledWriter."
               "add_document;add_pooled (indexer/engines/whoosh/pool.py:260) 6",
        MAIN + ";build_index (indexer/build.py:212) 1",
    ]) + "\n")
    counts = group(samples)
    names = [name for name, _ in PARTS]
    assert counts == {
        names[0]: 30,  # extraction workers
        "sub-writers, adding: the text's terms and positions (NewsText)": 12,
        "sub-writers, adding: the keyword fields' terms (NewsKeyword)": 3,
        "sub-writers, adding: other fields' terms (Whoosh's field.index: an index of before's text)": 7,
        "sub-writers, adding: the posting pool": 5,
        "sub-writers, commit: posting blocks (write_term)": 9,
        "sub-writers, commit: reading spilled runs back": 2,
        "main process: handing records to Whoosh's writer": 4,
        "one writer (--workers 1): adding documents": 6,
        names[-1]: 1,
    }
