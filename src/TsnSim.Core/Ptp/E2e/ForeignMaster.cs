using TsnSim.Core.Time;

namespace TsnSim.Core.Ptp.E2e;

/// <summary>A master an ordinary clock's port hears announce (1588 9.3.2.4's foreignMasterDS): its vector as this port sees it, and when it last announced.</summary>
public readonly record struct ForeignMaster(PriorityVector Vector, SimTime At);
