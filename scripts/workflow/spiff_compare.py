#!/usr/bin/env python3
"""The same parallel-approval BPMN run to the end in SpiffWorkflow (PyPI) and in zhengwu, case after
case; reports completions per second and the ratio. Two files: the Flowable export with zhengwu's
attributes (accept → register → 税务, 公安, 人社 in parallel → deliver; the default), and a file
drawn as the public corpus's modeler files are (`--bpmn
tests/data/workflow/parallel-approval.modeler.bpmn20.xml`: ${initiator}, candidate groups by the
platform's own names, a step without assignment; zhengwu resolves the groups through a directory).

    pip install SpiffWorkflow
    python3 scripts/workflow/spiff_compare.py [--cases 2000] [--bpmn FILE]

zhengwu runs as the release example `bpmn_throughput` (built here); each case is created,
received, accepted and driven through every task. SpiffWorkflow creates a workflow from the parsed
spec and runs every ready task. Both count the task completions (6 per case).
"""
import argparse
import json
import pathlib
import subprocess
import time

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

ROOT = pathlib.Path(__file__).resolve().parents[2]
BPMN = ROOT / "tests" / "data" / "workflow" / "establish-enterprise.flowable.bpmn20.xml"


def spiff(bpmn, cases):
    parser = BpmnParser()
    parser.add_bpmn_file(str(bpmn))
    spec = parser.get_spec(parser.get_process_ids()[0])
    completions = 0
    began = time.perf_counter()
    for _ in range(cases):
        workflow = BpmnWorkflow(spec)
        workflow.do_engine_steps()
        while not workflow.is_completed():
            ready = workflow.get_tasks(state=TaskState.READY, manual=True)
            if not ready:
                raise SystemExit("SpiffWorkflow stopped with no ready task")
            for task in ready:
                task.run()
                completions += 1
            workflow.do_engine_steps()
    return completions, time.perf_counter() - began


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--bpmn", type=pathlib.Path, default=BPMN)
    args = parser.parse_args()
    bpmn = args.bpmn.resolve()
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "zhengwu-examples", "--example", "bpmn_throughput"],
                   check=True, cwd=ROOT)
    binary = ROOT / "target" / "release" / "examples" / "bpmn_throughput"
    ours = json.loads(subprocess.run([str(binary), str(bpmn), str(args.cases)], check=True, capture_output=True,
                                     text=True, cwd=ROOT).stdout)
    theirs_completions, theirs_seconds = spiff(bpmn, args.cases)
    if theirs_completions != ours["completions"]:
        raise SystemExit(f"completions differ: zhengwu {ours['completions']}, SpiffWorkflow {theirs_completions}")
    ours_rate = ours["completions_per_second"]
    theirs_rate = theirs_completions / theirs_seconds
    print(f"{bpmn.name}: {args.cases} cases, {theirs_completions} task completions each side")
    print(f"zhengwu:       {ours['seconds']:.3f} s, {ours_rate:,.0f} completions/s")
    print(f"SpiffWorkflow: {theirs_seconds:.3f} s, {theirs_rate:,.0f} completions/s")
    print(f"ratio: zhengwu is {ours_rate / theirs_rate:,.0f}x faster")


if __name__ == "__main__":
    main()
