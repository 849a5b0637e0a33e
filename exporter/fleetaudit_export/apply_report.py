"""The journal seen as Device Defender reports a mitigation task: one entry per (finding, action)
execution in the shape of ListAuditMitigationActionsExecutions, per-action statistics in the shape
of DescribeAuditMitigationActionsTask's taskStatistics, and the same statistics as a table."""

from .apply_journal import ALREADY, DONE, FAILED, FINAL, PENDING

STATUSES = ("COMPLETED", "FAILED", "SKIPPED", "CANCELED", "IN_PROGRESS", "PENDING")


def execution_entry(plan, index, states, cancels):
    """One AuditMitigationActionExecutionMetadata."""
    execution = plan.executions[index]
    entry = {"taskId": plan.task_id, "findingId": execution.finding_id, "actionName": execution.action_name}
    records = [states.get(change.id) or {} for change in execution.changes]
    starts = sorted(r["startTime"] for r in records if r.get("startTime"))
    ends = sorted(r["endTime"] for r in records if r.get("endTime"))
    failed = [r for r in records if r.get("state") == FAILED]
    if execution.planned_status == "SKIPPED":
        entry.update(status="SKIPPED", message=execution.reason[:2048])
        return entry
    if failed:
        entry.update(status="FAILED", errorCode=failed[0].get("errorCode", ""), message=failed[0].get("message", ""))
    elif all(r.get("state") in FINAL for r in records):
        entry["status"] = "COMPLETED"
        notes = [r.get("note") for r in records if r.get("state") == ALREADY and r.get("note")]
        message = execution.reason or ""
        if records and len(notes) == len(records):
            message = "already in the target state: " + notes[0]
        if message:
            entry["message"] = message[:2048]
    elif (previous := cancels(index, states)) is not None:
        entry.update(status="CANCELED", message=f"an earlier action for this finding "
                                                f"({plan.executions[previous].action_name}) failed")
    elif any(r.get("state") in (DONE, ALREADY, PENDING) for r in records):
        entry["status"] = "IN_PROGRESS"
    else:
        entry["status"] = "PENDING"
    if starts:
        entry["startTime"] = starts[0]
    if ends and entry["status"] in ("COMPLETED", "FAILED"):
        entry["endTime"] = ends[-1]
    return entry


def executions_report(plan, states, cancels):
    return {"actionsExecutions": [execution_entry(plan, index, states, cancels)
                                  for index in range(len(plan.executions))]}


def task_statistics(plan, report):
    """{actionName: TaskStatisticsForAuditCheck}, in the plan's action order."""
    counts = {name: dict.fromkeys(STATUSES, 0) for name, _ in plan.actions}
    for entry in report["actionsExecutions"]:
        counts.setdefault(entry["actionName"], dict.fromkeys(STATUSES, 0))[entry["status"]] += 1
    return {name: {"totalFindingsCount": sum(c.values()), "failedFindingsCount": c["FAILED"],
                   "succeededFindingsCount": c["COMPLETED"], "skippedFindingsCount": c["SKIPPED"],
                   "canceledFindingsCount": c["CANCELED"]}
            for name, c in counts.items() if sum(c.values())}, counts


def summary_text(plan, report):
    """The per-action table a person reads at the end of a run."""
    _, counts = task_statistics(plan, report)
    width = max([len("ACTION")] + [len(name) for name in counts])
    lines = [f"{'ACTION':<{width}}  " + " ".join(f"{status:>11}" for status in STATUSES)]
    for name, c in counts.items():
        if sum(c.values()):
            lines.append(f"{name:<{width}}  " + " ".join(f"{c[status]:>11}" for status in STATUSES))
    return "\n".join(lines) + "\n"
