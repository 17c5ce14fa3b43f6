using TsnSim.Tests.Support;

namespace TsnSim.Tests.Cli;

/// <summary>
/// <c>tsnsim inject</c> refuses a malformed command line before it sends anything: a message
/// that names the option and what it expects, exit code 2, no stack trace.
/// </summary>
public class InjectArgumentTests
{
    // Nothing listens on port 1 of loopback: a test that reached the network would fail with 3, not 2.
    private const string Nowhere = "http://127.0.0.1:1";

    private static CliProcess.Result Inject(params string[] arguments) => CliProcess.Run(["inject", "--address", Nowhere, .. arguments]);

    private static void AssertRefused(CliProcess.Result result, string message)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.DoesNotContain("Exception", result.Stderr);
    }

    [Fact]
    public void ABadMacIsRefusedNamingTheOption() =>
        AssertRefused(Inject("frames", "h1", "--to-mac", "02:00:00:00:01"), "--to-mac: '02:00:00:00:01' is not a MAC address; expected six hex octets");

    [Fact]
    public void ADurationWithoutUnitIsRefusedNamingTheOption() =>
        AssertRefused(Inject("frames", "h1", "--to", "h2", "--at", "5"), "--at: '5' has no time unit");

    [Fact]
    public void ANegativeDelayIsRefused() =>
        AssertRefused(Inject("frames", "h1", "--to", "h2", "--after", "-1us"), "--after: '-1us' is negative");

    [Fact]
    public void AStreamPeriodMustBePositive() =>
        AssertRefused(Inject("stream", "start", "h1", "--to", "h2", "--period", "0"), "--period: '0' is not positive");

    [Fact]
    public void AMissingNodeIsNamedWithAnExample() =>
        AssertRefused(Inject("frames", "--to", "h2"), "tsnsim inject frames: NODE is missing; expected the name of the host first, for example: tsnsim inject frames h1");

    [Fact]
    public void AtAndAfterTogetherAreRefused() =>
        AssertRefused(Inject("stream", "stop", "h1", "--name", "s", "--at", "1ms", "--after", "1ms"), "give either --at TIME or --after TIME, not both");

    [Fact]
    public void ARawFrameTakesNoDescription() =>
        AssertRefused(Inject("frames", "h1", "--raw-hex", "ffffffffffff020000000001", "--vlan", "5"), "--raw-hex: a raw frame carries its own header and payload; leave out --vlan");

    [Fact]
    public void HexMustBeWholeBytes() =>
        AssertRefused(Inject("frames", "h1", "--raw-hex", "fffff"), "--raw-hex: 'fffff' is not hex bytes");

    [Fact]
    public void ANumberOptionThatIsNotANumberIsNamed() =>
        AssertRefused(Inject("frames", "h1", "--vlan", "ten"), "--vlan: 'ten' is not a whole number");

    [Fact]
    public void AFrameSizeOutOfRangeIsRefused() =>
        AssertRefused(Inject("frames", "h1", "--to", "h2", "--size", "63"), "--size: 63 is out of range; expected a frame size from 64 to 9216 bytes");

    [Fact]
    public void ABadRxRuleIsRefusedWithTheTopologysWordsForItsField() =>
        AssertRefused(Inject("rx-rules", "h1", "--rule", "proto=tcp,queue=1", "--rule", "vlan=4095,queue=1"), "--rule[1].vlan: 4095 is out of range; expected a VLAN ID, an integer from 0 to 4094");

    [Fact]
    public void AnRxRuleMustBeFieldsEqualValues() =>
        AssertRefused(Inject("rx-rules", "h1", "--rule", "proto:tcp"), "--rule: 'proto:tcp' in 'proto:tcp' is not field=value");

    [Fact]
    public void RxRulesTakeRulesOrClearButNotNeither() =>
        AssertRefused(Inject("rx-rules", "h1"), "--rule: missing; expected one --rule per rule");

    [Fact]
    public void AnUnreachableServerIsExitThreeAndSaysWhereItLooked()
    {
        var result = Inject("streams");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"cannot reach {Nowhere}", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }
}
