namespace TsnSim.Core.Frames;

/// <summary>The 802.1Q tag control information: priority code point, drop eligible indicator, VLAN ID.</summary>
public readonly record struct VlanTag(byte Pcp, bool Dei, ushort Vid)
{
    public ushort Tci => (ushort)((Pcp << 13) | (Dei ? 0x1000 : 0) | (Vid & 0x0FFF));

    public static VlanTag FromTci(ushort tci) => new((byte)(tci >> 13), (tci & 0x1000) != 0, (ushort)(tci & 0x0FFF));
}
