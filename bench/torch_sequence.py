"""cuDNN reference for the sequence rows of the benchmark (bench/sequence.ts): torch.nn.RNN(tanh), fp32,
on a CUDA GPU with PyTorch. `python3 bench/torch_sequence.py` prints one JSON line per row: median wall ms
(call to the output on the host, synchronized) and kernel ms (CUDA events around the call).
  stack          (16, 100, 256, 256), num_layers=2
  bidirectional  (16, 100, 256, 256), bidirectional=True (its output is the concatenation, forward first)
  ragged         (32, 200, 128, 128), lengths spread evenly over 1..200, pack_padded_sequence (unsorted)
  single steps   1000 consecutive calls on one step, batch 1, 256 units, the state carried and each
                 step's output read on the host before the next call; per-step medians
REPS=n (default 20) timed runs per row; TF32=1 allows TF32 (off by default, as in bench/cudnn_rnn.py)."""
import json, os, statistics, time
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.backends.cudnn.allow_tf32 = os.environ.get("TF32", "0") == "1"
torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32
reps = int(os.environ.get("REPS", "20"))
dev = torch.device("cuda")


def measure(call):
    """Median wall ms (call to host data) and kernel ms (CUDA events) of `call`, which returns a tensor."""
    for _ in range(5):
        call()
    torch.cuda.synchronize()
    walls, kern = [], []
    for _ in range(reps):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        t0 = time.perf_counter(); s.record()
        y = call()
        e.record(); y.cpu(); torch.cuda.synchronize()
        walls.append((time.perf_counter() - t0) * 1e3); kern.append(s.elapsed_time(e))
    return statistics.median(walls), statistics.median(kern)


def report(row, shape, wall, kernel, **extra):
    print(json.dumps({"impl": "torch.nn.RNN cuDNN", "row": row, "shape": shape, "tf32": torch.backends.cudnn.allow_tf32,
                      "median_ms": wall, "kernel_ms": kernel, **extra}), flush=True)


with torch.no_grad():
    B, T, I, H = 16, 100, 256, 256
    x = torch.randn(B, T, I, device=dev)
    stack = torch.nn.RNN(I, H, num_layers=2, nonlinearity="tanh", batch_first=True).to(dev).eval()
    report("stack", [B, T, I, H], *measure(lambda: stack(x)[0]), layers=2)

    bidirectional = torch.nn.RNN(I, H, nonlinearity="tanh", batch_first=True, bidirectional=True).to(dev).eval()
    report("bidirectional", [B, T, I, H], *measure(lambda: bidirectional(x)[0]), mode="concatenate")

    B, T, I, H = 32, 200, 128, 128
    x = torch.randn(B, T, I, device=dev)
    lengths = torch.tensor([1 + (n * (T - 1)) // (B - 1) for n in range(B)])
    lengths = lengths[torch.randperm(B)]  # rows in any order, as the fused row has them
    ragged = torch.nn.RNN(I, H, nonlinearity="tanh", batch_first=True).to(dev).eval()

    def run_ragged():
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        y, _ = ragged(packed)
        return pad_packed_sequence(y, batch_first=True, total_length=T)[0]

    report("ragged", [B, T, I, H], *measure(run_ragged), lengths=f"1..{T}")

    steps, H = 1000, 256
    cell = torch.nn.RNN(H, H, nonlinearity="tanh", batch_first=True).to(dev).eval()
    xs = torch.randn(steps, 1, 1, H, device=dev)

    def loop():
        """Per-step wall ms (call to the output on the host) and kernel ms, over one loop of steps."""
        h, walls, kern = None, [], []
        for k in range(steps):
            s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            t0 = time.perf_counter(); s.record()
            y, h = cell(xs[k], h)
            e.record(); y.cpu(); torch.cuda.synchronize()
            walls.append((time.perf_counter() - t0) * 1e3); kern.append(s.elapsed_time(e))
        return walls, kern

    loop()  # warm-up
    walls, kern = [], []
    for _ in range(max(1, min(reps, 5))):
        w, k = loop()
        walls += w; kern += k
    report("single steps", [1, steps, H, H], statistics.median(walls), statistics.median(kern), per="step")
