/**
 * Where Dawn finds a Vulkan device on a machine without a GPU driver: Chromium's SwiftShader, at the
 * path Debian's chromium package installs it (the CI's browsers; .ci/run sets the same).
 */
import {existsSync} from 'node:fs';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** VK_ICD_FILENAMES for Dawn, unless it is set already or SwiftShader is not installed here. */
export function dawnEnv(): NodeJS.ProcessEnv {
  if (process.env.VK_ICD_FILENAMES != null || !existsSync(SWIFTSHADER_ICD)) return {};
  return {VK_ICD_FILENAMES: SWIFTSHADER_ICD};
}
