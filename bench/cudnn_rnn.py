"""cuDNN reference for the benchmark: torch.nn.RNN(tanh) forward, fp32, on a CUDA GPU with PyTorch.
SHAPES='[[batch,time,inputs,units],...]' python3 bench/cudnn_rnn.py prints one JSON line per shape:
median wall ms (call to y.cpu(), synchronized) and kernel ms (CUDA events)."""
import json, os, statistics, time
import torch

shapes = json.loads(os.environ.get("SHAPES", "[[1,100,64,128]]"))
torch.backends.cudnn.allow_tf32 = os.environ.get("TF32", "0") == "1"
torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32
dev = torch.device("cuda")
for B, T, I, H in shapes:
    rnn = torch.nn.RNN(I, H, nonlinearity="tanh", batch_first=True).to(dev).eval()
    x = torch.randn(B, T, I, device=dev)
    with torch.no_grad():
        for _ in range(5):
            rnn(x)
        torch.cuda.synchronize()
        walls, kern = [], []
        for _ in range(int(os.environ.get("REPS", "20"))):
            s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            t0 = time.perf_counter(); s.record()
            y, _ = rnn(x)
            e.record(); y_host = y.cpu(); torch.cuda.synchronize()
            walls.append((time.perf_counter() - t0) * 1e3); kern.append(s.elapsed_time(e))
    print(json.dumps({"impl": "torch.nn.RNN cuDNN", "tf32": torch.backends.cudnn.allow_tf32, "B": B, "T": T, "I": I, "H": H,
                      "median_ms": statistics.median(walls), "kernel_ms": statistics.median(kern)}), flush=True)
