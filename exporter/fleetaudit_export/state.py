"""The export's own bookkeeping in OUT_DIR/.fleetaudit-export/: which stages are done, the
checkpoint of the one under way, what was skipped. --resume reads it back."""

import json
import os
import threading

STATE_DIR = ".fleetaudit-export"


class State:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.dir = os.path.join(out_dir, STATE_DIR)
        self.path = os.path.join(self.dir, "state.json")
        self.lock = threading.Lock()
        self.data = {"stages": {}, "checkpoints": {}, "skipped": []}

    def exists(self):
        return os.path.exists(self.path)

    def load(self):
        with open(self.path, encoding="utf-8") as file:
            self.data = json.load(file)

    def start(self, identity):
        os.makedirs(self.dir, exist_ok=True)
        self.data.update(identity)
        self.save()

    def work_path(self, name):
        """Where a stage writes before its file is complete (renamed into OUT_DIR when done)."""
        return os.path.join(self.dir, name.replace("/", "_"))

    def save(self):
        with self.lock:
            temporary = self.path + ".tmp"
            with open(temporary, "w", encoding="utf-8") as file:
                json.dump(self.data, file, indent=1)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)

    def done(self, stage):
        return self.data["stages"].get(stage) in ("done", "skipped")

    def status(self, stage):
        return self.data["stages"].get(stage)

    def checkpoint(self, stage):
        return self.data["checkpoints"].get(stage)

    def set_checkpoint(self, stage, checkpoint):
        with self.lock:
            self.data["checkpoints"][stage] = checkpoint
        self.save()

    def finish(self, stage):
        with self.lock:
            self.data["stages"][stage] = "done"
            self.data["checkpoints"].pop(stage, None)
        self.save()

    def skip(self, stage, files, reason):
        with self.lock:
            self.data["stages"][stage] = "skipped"
            self.data["checkpoints"].pop(stage, None)
            for name in files:
                self.data["skipped"].append({"file": name, "reason": reason})
        self.save()

    def skip_reason(self, stage):
        for entry in self.data["skipped"]:
            if entry.get("stage") == stage:
                return entry["reason"]
        return None
