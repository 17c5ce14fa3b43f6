using System.CommandLine;
using TsnSim.Core.Nic;
using TsnSim.Hosting;
using TsnSim.Hosting.Nic;

namespace TsnSim.Cli.Commands;

/// <summary><c>tsnsim nic rss</c>: the RSS hash and Rx queue of one flow, to check a NIC against.</summary>
public static class NicCommand
{
    public static Command Create()
    {
        var source = new Option<string>("--src") { Description = "Source ADDR[:PORT], e.g. 66.9.149.187:2794 or [3ffe:2501:200:1fff::7]:2794", Required = true };
        var destination = new Option<string>("--dst") { Description = "Destination ADDR[:PORT]", Required = true };
        var protocol = new Option<string>("--proto") { Description = "Hash type: tcp or udp (addresses and ports), ip (addresses only)", Required = true };
        var key = new Option<string?>("--key") { Description = $"The {ToeplitzHash.KeyBytes}-byte Toeplitz key in hex; default the key of Microsoft's RSS verification suite" };
        var tableSize = new Option<int>("--table-size") { Description = "Indirection table entries, a power of two", DefaultValueFactory = _ => RssIndirectionTable.DefaultSize };
        var queues = new Option<int>("--queues") { Description = "Rx queues; the table's entry i is queue i mod this", DefaultValueFactory = _ => 4 };
        var rss = new Command("rss", "Print hash=0x%08x queue=N for a flow: the Toeplitz hash of its RSS input and the Rx queue the indirection table picks")
        {
            source, destination, protocol, key, tableSize, queues,
        };
        rss.SetAction(parse =>
        {
            var (hash, queue) = RssQuery.Run(parse.GetValue(source)!, parse.GetValue(destination)!, parse.GetValue(protocol)!, parse.GetValue(key),
                parse.GetValue(tableSize), parse.GetValue(queues));
            Console.Out.WriteLine(RssQuery.Format(hash, queue));
            return ExitCodes.Success;
        });
        return new Command("nic", "The multi-queue NIC's arithmetic, to check hardware against") { rss };
    }
}
