namespace TsnSim.Core.Engine;

/// <summary>Receives the events it scheduled. Implemented by model objects, so that an event costs no delegate allocation.</summary>
public interface IEventHandler
{
    void OnEvent(in ScheduledEvent scheduled);
}
