/**
 * The tfjs env flag that switches the cpu backend to the float64 reference kernel (see register.ts),
 * apart from the registration so that tests can name it without registering the kernels again.
 */
export const CPU_REFERENCE_FLAG = 'SINGLE_GATE_RNN_CPU_REFERENCE';
