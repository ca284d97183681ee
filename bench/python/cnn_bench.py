#!/usr/bin/python3
"""PyTorch side of bench/djl-vs-pytorch.sh: trains and runs Lifecycle's image CNN in torch.

The network, data, batch size, optimiser and loop match dev.lifecycle.bench.DjlVsPytorchBench:
conv 3x3 (32, padding 1) -> ReLU -> max-pool 2 -> conv 3x3 (64, padding 1) -> ReLU -> max-pool 2
-> flatten -> dense 128 -> ReLU -> dense 10; Adam (lr 0.001); softmax cross-entropy; the first
--images Fashion-MNIST training images scaled to [0, 1]; a seeded shuffle per epoch; each batch
gathered from the in-memory tensor, as the DJL loop copies each batch into a new NDArray.

With --profile it times each phase of every training step (time.perf_counter) and the training
thread's CPU time instead, for DjlVsPytorchBench --profile.

Prints one JSON object on the last line of stdout. Run with Debian's python3-torch
(/usr/bin/python3); CI never runs it.
"""

import argparse
import gzip
import json
import resource
import struct
import time

import numpy as np
import torch
from torch import nn


def read_images(path, count):
    with gzip.open(path, "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 0x803:
            raise SystemExit(f"{path} is not an IDX images file (magic {magic:#x})")
        count = min(count, n)
        pixels = np.frombuffer(f.read(count * rows * cols), dtype=np.uint8)
    return pixels.reshape(count, 1, rows, cols).astype(np.float32) / 255.0


def read_labels(path, count):
    with gzip.open(path, "rb") as f:
        magic, n = struct.unpack(">II", f.read(8))
        if magic != 0x801:
            raise SystemExit(f"{path} is not an IDX labels file (magic {magic:#x})")
        count = min(count, n)
        return np.frombuffer(f.read(count), dtype=np.uint8).astype(np.int64)


def cnn(outputs):
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2, 2),
        nn.Conv2d(32, 64, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2, 2),
        nn.Flatten(),
        nn.Linear(64 * 7 * 7, 128),
        nn.ReLU(),
        nn.Linear(128, outputs),
    )


def train_epoch(model, optimizer, loss_fn, x, y, batch, generator):
    order = torch.randperm(x.shape[0], generator=generator)
    model.train()
    total = 0.0
    for start in range(0, x.shape[0], batch):
        index = order[start : start + batch]
        xb = x[index]
        yb = y[index]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * xb.shape[0]
    return total / x.shape[0]


PHASES = ["copy", "zero_grad", "forward", "loss", "backward", "item", "optimizer"]


def profile_epoch(model, optimizer, loss_fn, x, y, batch, generator):
    """One training epoch as train_epoch runs it, timing each phase of every step.

    Returns the total seconds per phase (PHASES order) and the number of steps.
    """
    order = torch.randperm(x.shape[0], generator=generator)
    model.train()
    totals = [0.0] * len(PHASES)
    steps = 0
    clock = time.perf_counter
    for start in range(0, x.shape[0], batch):
        t0 = clock()
        index = order[start : start + batch]
        xb = x[index]
        yb = y[index]
        t1 = clock()
        optimizer.zero_grad(set_to_none=True)
        t2 = clock()
        out = model(xb)
        t3 = clock()
        loss = loss_fn(out, yb)
        t4 = clock()
        loss.backward()
        t5 = clock()
        loss.item()
        t6 = clock()
        optimizer.step()
        t7 = clock()
        for i, (a, b) in enumerate(zip((t0, t1, t2, t3, t4, t5, t6), (t1, t2, t3, t4, t5, t6, t7))):
            totals[i] += b - a
        steps += 1
    return totals, steps


def profile_inference(model, x, batch):
    """Inference as infer runs it, timing the batch gather and each layer; seconds per phase."""
    model.eval()
    names = ["copy"] + [f"{i}:{type(layer).__name__}" for i, layer in enumerate(model)]
    totals = [0.0] * len(names)
    clock = time.perf_counter
    steps = 0
    with torch.inference_mode():
        for start in range(0, x.shape[0], batch):
            t = clock()
            cur = x[start : start + batch].contiguous()
            now = clock()
            totals[0] += now - t
            for i, layer in enumerate(model):
                t = now
                cur = layer(cur)
                now = clock()
                totals[i + 1] += now - t
            cur.argmax(1)
            steps += 1
    return names, totals, steps


def infer(model, x, batch):
    model.eval()
    with torch.inference_mode():
        for start in range(0, x.shape[0], batch):
            model(x[start : start + batch]).argmax(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--images", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup-epochs", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="time each phase of a training step and each layer of inference instead",
    )
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.threads)
    torch.manual_seed(args.seed)
    x = torch.from_numpy(read_images(f"{args.data}/train-images-idx3-ubyte.gz", args.images))
    y = torch.from_numpy(read_labels(f"{args.data}/train-labels-idx1-ubyte.gz", args.images))
    model = cnn(10)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(args.seed)

    for _ in range(args.warmup_epochs):
        train_epoch(model, optimizer, loss_fn, x, y, args.batch, generator)
    if args.profile:
        totals = [0.0] * len(PHASES)
        steps = 0
        start = time.perf_counter()
        cpu = time.thread_time()
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(args.epochs):
            seconds, n = profile_epoch(model, optimizer, loss_fn, x, y, args.batch, generator)
            totals = [a + b for a, b in zip(totals, seconds)]
            steps += n
        train_rate = x.shape[0] * args.epochs / (time.perf_counter() - start)
        cpu_ms_per_step = (time.thread_time() - cpu) * 1e3 / steps
        faults_per_step = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults) / steps
        infer(model, x[: args.batch * 10], args.batch)
        names, layer_seconds, batches = profile_inference(model, x, args.batch)
        print(
            json.dumps(
                {
                    "engine": "pytorch",
                    "version": torch.__version__,
                    "threads": torch.get_num_threads(),
                    "train_samples_per_second": train_rate,
                    "step_ms": {k: v * 1e3 / steps for k, v in zip(PHASES, totals)},
                    "cpu_ms_per_step": cpu_ms_per_step,
                    "minor_faults_per_step": faults_per_step,
                    "inference_batch_ms": {
                        k: v * 1e3 / batches for k, v in zip(names, layer_seconds)
                    },
                }
            )
        )
        return
    epoch_rates = []
    loss = float("nan")
    for _ in range(args.epochs):
        start = time.perf_counter()
        loss = train_epoch(model, optimizer, loss_fn, x, y, args.batch, generator)
        epoch_rates.append(x.shape[0] / (time.perf_counter() - start))

    infer(model, x[: args.batch * 10], args.batch)
    start = time.perf_counter()
    infer(model, x, args.batch)
    inference_rate = x.shape[0] / (time.perf_counter() - start)

    print(
        json.dumps(
            {
                "engine": "pytorch",
                "version": torch.__version__,
                "threads": torch.get_num_threads(),
                "images": int(x.shape[0]),
                "batch": args.batch,
                "train_samples_per_second": sorted(epoch_rates)[len(epoch_rates) // 2],
                "train_epoch_rates": epoch_rates,
                "last_train_loss": loss,
                "inference_samples_per_second": inference_rate,
            }
        )
    )


if __name__ == "__main__":
    main()
