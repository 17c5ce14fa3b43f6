namespace TsnSim.Core.Tsn;

/// <summary>
/// 802.1Qav's credit-based shaper on one traffic class, in tc-cbs's units: idleslope and
/// sendslope in kbit/s (sendslope = idleslope − port rate, negative), hicredit and locredit in
/// bytes, the bounds of the credit.
/// </summary>
public sealed record CreditBasedShaperConfig(long IdleSlopeKbps, long SendSlopeKbps, long HiCreditBytes, long LoCreditBytes);
