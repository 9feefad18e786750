"""PyTorch reference for the image variant's benchmark rows (bench/conv.ts): h_t = tanh(conv(x_t, W) + conv(h_{t-1}, U) + b),
fp32, on a CUDA GPU, with the same stock-op split as the tfjs baseline: conv(x_t, W) + b for all steps in one F.conv2d, then
per step F.conv2d(h, U) (cuDNN), an add and tanh, the steps stacked into y.
SHAPES='[[batch,time,height,width,in,out,k],...]' python3 bench/torch_conv_rnn.py prints one JSON line per shape with the
median wall ms (call to y.cpu(), synchronized) and GPU ms (CUDA events around the computation, without the copy), then
Markdown rows: | batch | time | height | width | in | out | k | PyTorch GPU ms | PyTorch end to end ms |.
TF32=1 allows TF32 (off by default: fp32 as the fused kernel); REPS=n timed runs (default 20)."""
import json, os, statistics, time
import torch
import torch.nn.functional as F

shapes = json.loads(os.environ.get("SHAPES", "[[1,16,32,32,8,16,3],[4,10,64,64,16,16,3],[8,20,16,16,32,32,5],[1,100,8,8,32,32,3]]"))
torch.backends.cudnn.allow_tf32 = os.environ.get("TF32", "0") == "1"
torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32
torch.backends.cudnn.benchmark = True  # cuDNN picks its fastest algorithm per shape during warm-up
dev = torch.device("cuda")
rows = []
for B, T, H, W, I, O, k in shapes:
    g = torch.Generator(device="cpu").manual_seed(1)
    x = (torch.rand(B, T, I, H, W, generator=g) * 2 - 1).to(dev)  # NCHW per step
    w = ((torch.rand(O, I, k, k, generator=g) * 2 - 1) / (k * k * I) ** 0.5).to(dev)
    u = ((torch.rand(O, O, k, k, generator=g) * 2 - 1) * 0.9 / (k * k * O) ** 0.5).to(dev)
    b = ((torch.rand(O, generator=g) * 2 - 1) * 0.5).to(dev)

    def forward():
        p = F.conv2d(x.reshape(B * T, I, H, W), w, b, padding="same").reshape(B, T, O, H, W)
        h = torch.zeros(B, O, H, W, device=dev)
        steps = []
        for t in range(T):
            h = torch.tanh(p[:, t] + F.conv2d(h, u, padding="same"))
            steps.append(h)
        return torch.stack(steps, 1)

    with torch.no_grad():
        for _ in range(5):
            forward()
        torch.cuda.synchronize()
        walls, gpu = [], []
        for _ in range(int(os.environ.get("REPS", "20"))):
            s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            t0 = time.perf_counter(); s.record()
            y = forward()
            e.record(); y_host = y.cpu(); torch.cuda.synchronize()
            walls.append((time.perf_counter() - t0) * 1e3); gpu.append(s.elapsed_time(e))
    record = {"impl": "PyTorch F.conv2d per step (cuDNN)", "device": torch.cuda.get_device_name(dev), "tf32": torch.backends.cudnn.allow_tf32,
              "shape": [B, T, H, W, I, O, k], "gpu_ms": statistics.median(gpu), "median_ms": statistics.median(walls)}
    print(json.dumps(record), flush=True)
    rows.append(f"| {B} | {T} | {H} | {W} | {I} | {O} | {k} | {record['gpu_ms']:.3f} ms | {record['median_ms']:.3f} ms |")
print("\n| batch | time | height | width | in | out | k | PyTorch GPU ms | PyTorch end to end ms |")
print("| ----: | ---: | -----: | ----: | -: | --: | -: | -------------: | --------------------: |")
print("\n".join(rows))
