using LstmWorkers.Data.Input.Pages;

namespace LstmWorkers.Data.Input.Columns;

/// <summary>
/// The structural pass of <see cref="SequenceDecoder"/>: one walk over the definition and repetition levels, as the page
/// decoder hands them over, that finds each row's values, counts its time steps and stops at the first null row, null
/// element or wrong size. Rows start where the repetition level is 0 (and at the chunk's first entry); a row whose first
/// definition level is below the list's "empty" level is null, equal to it is empty; every value of a valid row has the
/// maximum definition level. A piece's last row may go on in the next piece: its levels wait in a carry buffer until
/// the next row starts or the chunk ends.
/// </summary>
internal sealed partial class SequenceDecoder
{
    private int _emptyLevel;
    private int _emptyInnerLevel;
    private int _maxDefinition;
    private bool _nested;
    private int _row;                       // the next row to walk
    private int _value;                     // its first value: the values of the rows before it
    private int[] _carryDefinitions = [];
    private int[] _carryRepetitions = [];
    private int _carried;                   // levels of the row that may go on in the next piece

    private void StartWalk(ColumnLayout layout)
    {
        _nested = layout.ListDepth > 1;
        _emptyLevel = layout.EmptyListLevels[0];
        _emptyInnerLevel = _nested ? layout.EmptyListLevels[1] : 0;
        _maxDefinition = layout.MaxDefinitionLevel;
        RestartWalk();
    }

    private void RestartWalk()
    {
        _row = 0;
        _value = 0;
        _carried = 0;
        ValidRows = 0;
        Problem = null;
    }

    void ILevelSink.Add(ReadOnlySpan<int> definitions, ReadOnlySpan<int> repetitions)
    {
        if (Problem is not null || definitions.IsEmpty)
        {
            return; // rows after a bad one are not looked at
        }
        int at = 0;
        if (_carried > 0)
        {
            int next = repetitions.IndexOf(0);
            at = next < 0 ? repetitions.Length : next;
            Carry(definitions[..at], repetitions[..at]);
            if (next < 0)
            {
                return;
            }
            WalkCarried();
            if (Problem is not null || at == repetitions.Length)
            {
                return;
            }
        }
        int last = repetitions[(at + 1)..].LastIndexOf(0);
        int lastStart = last < 0 ? at : at + 1 + last;
        WalkRows(definitions[at..lastStart], repetitions[at..lastStart]);
        if (Problem is null)
        {
            Carry(definitions[lastStart..], repetitions[lastStart..]);
        }
    }

    void ILevelSink.Restart() => RestartWalk();

    /// <summary>After the chunk's last level: walks the last row and checks the row count.</summary>
    private void FinishWalk()
    {
        if (Problem is null && _carried > 0)
        {
            WalkCarried();
        }
        if (Problem is null)
        {
            Finish(_row, _value);
        }
    }

    private void Carry(ReadOnlySpan<int> definitions, ReadOnlySpan<int> repetitions)
    {
        int length = _carried + definitions.Length;
        if (_carryDefinitions.Length < length)
        {
            int size = Math.Max(length, (int)Math.Min(Array.MaxLength, 2L * _carryDefinitions.Length));
            Array.Resize(ref _carryDefinitions, size);
            Array.Resize(ref _carryRepetitions, size);
        }
        definitions.CopyTo(_carryDefinitions.AsSpan(_carried));
        repetitions.CopyTo(_carryRepetitions.AsSpan(_carried));
        _carried = length;
    }

    private void WalkCarried()
    {
        WalkRows(_carryDefinitions.AsSpan(0, _carried), _carryRepetitions.AsSpan(0, _carried));
        _carried = 0;
    }

    /// <summary>Walks whole rows: <paramref name="def"/> starts a row and ends where a row ends.</summary>
    private void WalkRows(ReadOnlySpan<int> def, ReadOnlySpan<int> rep)
    {
        if (_nested)
        {
            WalkNested(def, rep);
        }
        else
        {
            WalkFlat(def, rep);
        }
    }

    private void WalkFlat(ReadOnlySpan<int> def, ReadOnlySpan<int> rep)
    {
        int emptyLevel = _emptyLevel, maxDef = _maxDefinition;
        int li = 0;
        while (li < def.Length)
        {
            int row = _row;
            CheckRowCount(row);
            _offsets[row] = _value;
            int end = NextRowStart(rep, li);
            int count = 0;
            int d = def[li];
            if (d <= emptyLevel)
            {
                if (d < emptyLevel)
                {
                    Fail(row, "the sequence is null");
                    return;
                }
                CheckSingleEntry(li, end);
            }
            else
            {
                count = end - li;
                int bad = def.Slice(li, count).IndexOfAnyExcept(maxDef);
                if (bad >= 0)
                {
                    Fail(row, _kind == SequenceKind.TokenIds
                        ? $"the list holds a null at time step {bad}"
                        : $"the feature list holds a null at index {bad} (time step {bad / _perStep}, feature {bad % _perStep})");
                    return;
                }
            }
            int steps = count;
            if (_kind == SequenceKind.FlatFeatures)
            {
                if (count % _perStep != 0)
                {
                    Fail(row, $"the feature list has {count} values, not a multiple of input_size {_perStep}");
                    return;
                }
                steps = count / _perStep;
            }
            if (!Accept(row, steps))
            {
                return;
            }
            _value += count;
            _row++;
            li = end;
        }
    }

    private void WalkNested(ReadOnlySpan<int> def, ReadOnlySpan<int> rep)
    {
        int emptyLevel = _emptyLevel, emptyInnerLevel = _emptyInnerLevel, maxDef = _maxDefinition;
        int size = _perStep;
        int li = 0;
        while (li < def.Length)
        {
            int row = _row;
            CheckRowCount(row);
            _offsets[row] = _value;
            int end = NextRowStart(rep, li);
            int count = 0, steps = 0;
            int d = def[li];
            if (d <= emptyLevel)
            {
                if (d < emptyLevel)
                {
                    Fail(row, "the sequence is null");
                    return;
                }
                CheckSingleEntry(li, end);
            }
            else
            {
                count = end - li;
                ReadOnlySpan<int> rowDef = def.Slice(li, count);
                ReadOnlySpan<int> rowRep = rep.Slice(li, count);
                int bad = rowDef.IndexOfAnyExcept(maxDef);
                if (bad >= 0)
                {
                    int step = rowRep.Slice(1, bad).Count(1);
                    int level = rowDef[bad];
                    Fail(row, level < emptyInnerLevel ? $"time step {step} is null"
                        : level == emptyInnerLevel ? $"time step {step} has 0 features; input_size is {size}"
                        : $"time step {step} holds a null feature");
                    return;
                }
                steps = 1 + rowRep.Slice(1).Count(1);
                if ((long)steps * size != count || !StepsAligned(rowRep, steps, size))
                {
                    (int step, int found) = FirstBadStep(rowRep, size);
                    Fail(row, $"time step {step} has {found} features; input_size is {size}");
                    return;
                }
            }
            if (!Accept(row, steps))
            {
                return;
            }
            _value += count;
            _row++;
            li = end;
        }
    }

    private static int NextRowStart(ReadOnlySpan<int> rep, int li)
    {
        int next = rep.Slice(li + 1).IndexOf(0);
        return next < 0 ? rep.Length : li + 1 + next;
    }

    private static bool StepsAligned(ReadOnlySpan<int> rowRep, int steps, int size)
    {
        // With count == steps * size and exactly steps - 1 step starts, every step has `size` values iff
        // the starts sit at multiples of `size`.
        for (int k = 1; k < steps; k++)
        {
            if (rowRep[k * size] != 1)
            {
                return false;
            }
        }
        return true;
    }

    private static (int Step, int Found) FirstBadStep(ReadOnlySpan<int> rowRep, int size)
    {
        int step = 0, found = 0;
        for (int i = 0; i < rowRep.Length; i++)
        {
            if (i > 0 && rowRep[i] == 1)
            {
                if (found != size)
                {
                    return (step, found);
                }
                step++;
                found = 0;
            }
            found++;
        }
        return (step, found);
    }

    private bool Accept(int row, int steps)
    {
        if (steps > _maxLength)
        {
            if (!_truncate)
            {
                Fail(row, $"the sequence has {steps} time steps, more than the total length {_maxLength} (raise --total-length, or pass --truncate to cut it)");
                return false;
            }
            steps = _maxLength;
        }
        if (_stepLimit is { } limit && steps > limit.MaxSteps)
        {
            Fail(row, limit.Describe(steps));
            return false;
        }
        _steps[row] = steps;
        return true;
    }

    private void CheckRowCount(int row)
    {
        if (row >= RowCount)
        {
            throw new InvalidDataException($"the column holds more rows than the row group's {RowCount}");
        }
    }

    private static void CheckSingleEntry(int li, int end)
    {
        if (end != li + 1)
        {
            throw new InvalidDataException("a null or empty list is followed by repeated values");
        }
    }

    private void Fail(int row, string detail)
    {
        ValidRows = row;
        Problem = new RowProblem(row, detail);
    }

    private void Finish(int rows, int values)
    {
        if (rows != RowCount)
        {
            throw new InvalidDataException($"the column holds {rows} rows but the row group has {RowCount}");
        }
        _offsets[rows] = values;
        ValidRows = rows;
    }
}
