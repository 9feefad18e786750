/**
 * The adapter's vendor, architecture, device and description, as far as Dawn reports them.
 *
 * @internal Kernel plumbing, not part of the documented API.
 */
export function adapterFields(info: GPUAdapterInfo | undefined): Record<string, string> {
  if (info == null) return {};
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
  };
}

/** The same, for humans: 'nvidia / hopper / ... '. */
export function describeAdapter(info: GPUAdapterInfo | undefined): string {
  return describeAdapterFields(adapterFields(info));
}

/** Fields as `adapterFields` gives them (or a results file keeps them), joined for humans. */
export function describeAdapterFields(fields: Record<string, string>): string {
  const parts = Object.values(fields).filter((p) => p);
  return parts.length > 0 ? parts.join(' / ') : 'an adapter without a description';
}
