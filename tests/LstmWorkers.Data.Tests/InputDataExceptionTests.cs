namespace LstmWorkers.Data.Tests;

public sealed class InputDataExceptionTests
{
    [Fact]
    public void Message_names_file_row_id_column_and_what()
    {
        var error = new InputDataException("the sequence is null", file: "/d/a.parquet", row: 12, id: "\"x\"", column: "tokens");

        Assert.Equal("/d/a.parquet: row 12 (id \"x\"), column 'tokens': the sequence is null", error.Message);
    }

    [Theory]
    [InlineData("/d/a.parquet", null, null, "tokens", "/d/a.parquet: column 'tokens': bad")]
    [InlineData("/d/a.parquet", 3L, null, null, "/d/a.parquet: row 3: bad")]
    [InlineData(null, 3L, "7", "tokens", "row 3 (id 7), column 'tokens': bad")]
    [InlineData("/d/a.parquet", null, null, null, "/d/a.parquet: bad")]
    [InlineData(null, null, null, null, "bad")]
    public void Message_leaves_out_unknown_parts(string? file, long? row, string? id, string? column, string expected)
    {
        var error = new InputDataException("bad", file, row, id, column);

        Assert.Equal(expected, error.Message);
        Assert.Equal((file, row, id, column, "bad"), (error.File, error.Row, error.Id, error.Column, error.Detail));
    }
}
