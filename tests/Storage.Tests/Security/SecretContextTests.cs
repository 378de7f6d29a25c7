using GatewayStorage.Security;

namespace GatewayStorage.Tests.Security;

public sealed class SecretContextTests
{
    private static readonly Guid RowId = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

    [Fact]
    public void Associated_data_is_the_table_a_zero_byte_the_big_endian_row_id_and_the_column()
    {
        var context = new SecretContext("tokens", RowId, "access");
        var bytes = new byte[context.AssociatedDataLength];

        var written = context.WriteAssociatedData(bytes);

        byte[] expected =
        [
            .. "tokens"u8, 0,
            0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
            .. "access"u8,
        ];
        Assert.Equal(expected.Length, written);
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Contexts_that_differ_only_in_where_a_name_ends_give_different_associated_data()
    {
        var a = Bytes(new SecretContext("ab", RowId, "c"));
        var b = Bytes(new SecretContext("a", RowId, "bc"));

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void A_default_context_or_a_table_with_a_zero_character_is_refused()
    {
        Assert.Throws<ArgumentException>(() => default(SecretContext).AssociatedDataLength);
        Assert.Throws<ArgumentException>(() => new SecretContext("a\0b", RowId, "c").AssociatedDataLength);
    }

    private static byte[] Bytes(SecretContext context)
    {
        var bytes = new byte[context.AssociatedDataLength];
        context.WriteAssociatedData(bytes);
        return bytes;
    }
}
