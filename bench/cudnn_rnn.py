"""cuDNN reference for the benchmark: torch.nn.RNN(tanh) forward, fp32 (TF32 off unless TF32=1), on a
CUDA GPU with PyTorch, timed like bench/run.ts times the fused op.

SHAPES='[[batch,time,inputs,units],...]' python3 bench/cudnn_rnn.py prints one JSON line per shape
(and appends it to CUDNN_OUT when set), medians of REPS runs (default 20) after warm-up:
  median_ms  end to end: from the call to the output on the host (y.cpu(), synchronized), the
             timed calls back to back after the warm-up and SETTLE_S seconds of idle (default 5),
             so they start from the idle clock, as bench/host_time.ts's do
  kernel_ms  GPU time of the forward (CUDA events around the call, the device idle before it)
  host_ms    from the call until rnn() returns (its launches on the host)
  kernel_burst_ms  GPU time of the forward with the clocks raised: calls queued back to back for
             BURST_S seconds (default 0.3) first, then each timed call queued behind the previous
             one, so the GPU never idles (what the kernel can do, as our GPU time after bursts)
"""
import json, os, statistics, time
import torch

shapes = json.loads(os.environ.get("SHAPES", "[[1,100,64,128]]"))
torch.backends.cudnn.allow_tf32 = os.environ.get("TF32", "0") == "1"
torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32
reps = int(os.environ.get("REPS", "20"))
out = os.environ.get("CUDNN_OUT")
dev = torch.device("cuda")
for B, T, I, H in shapes:
    rnn = torch.nn.RNN(I, H, nonlinearity="tanh", batch_first=True).to(dev).eval()
    x = torch.randn(B, T, I, device=dev)
    with torch.no_grad():
        for _ in range(5):
            rnn(x)
        torch.cuda.synchronize()
        time.sleep(float(os.environ.get("SETTLE_S", "5")))
        walls, kern, host = [], [], []
        for _ in range(reps):
            s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            t0 = time.perf_counter(); s.record()
            y, _ = rnn(x)
            t1 = time.perf_counter()
            e.record(); y_host = y.cpu(); torch.cuda.synchronize()
            walls.append((time.perf_counter() - t0) * 1e3); kern.append(s.elapsed_time(e))
            host.append((t1 - t0) * 1e3)
        burst = []
        end = time.perf_counter() + float(os.environ.get("BURST_S", "0.3"))
        while time.perf_counter() < end:
            for _ in range(8):
                rnn(x)
            torch.cuda.synchronize()
        events = [(torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)) for _ in range(reps)]
        for s, e in events:
            s.record(); rnn(x); e.record()
        torch.cuda.synchronize()
        burst = [s.elapsed_time(e) for s, e in events]
    line = json.dumps({"impl": "torch.nn.RNN cuDNN", "tf32": torch.backends.cudnn.allow_tf32,
                       "device": torch.cuda.get_device_name(dev), "B": B, "T": T, "I": I, "H": H,
                       "median_ms": statistics.median(walls), "kernel_ms": statistics.median(kern),
                       "host_ms": statistics.median(host), "kernel_burst_ms": statistics.median(burst)})
    print(line, flush=True)
    if out:
        with open(out, "a") as f:
            f.write(line + "\n")
