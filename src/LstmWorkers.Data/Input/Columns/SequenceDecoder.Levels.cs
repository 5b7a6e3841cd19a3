namespace LstmWorkers.Data.Input.Columns;

/// <summary>
/// The structural pass of <see cref="SequenceDecoder"/>: one walk over the definition and repetition levels that finds
/// each row's values, counts its time steps and stops at the first null row, null element or wrong size.
/// Rows start where the repetition level is 0; a row whose first definition level is below the list's "empty" level
/// is null, equal to it is empty; every value of a valid row has the maximum definition level.
/// </summary>
internal sealed partial class SequenceDecoder
{
    private void WalkFlat(int n, int emptyLevel, int maxDef)
    {
        ReadOnlySpan<int> def = _def.AsSpan(0, n);
        ReadOnlySpan<int> rep = _rep.AsSpan(0, n);
        int li = 0, row = 0, vi = 0;
        while (li < n)
        {
            CheckRowCount(row);
            _offsets[row] = vi;
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
            vi += count;
            li = end;
            row++;
        }
        Finish(row, vi);
    }

    private void WalkNested(int n, int emptyLevel, int emptyInnerLevel, int maxDef)
    {
        ReadOnlySpan<int> def = _def.AsSpan(0, n);
        ReadOnlySpan<int> rep = _rep.AsSpan(0, n);
        int size = _perStep;
        int li = 0, row = 0, vi = 0;
        while (li < n)
        {
            CheckRowCount(row);
            _offsets[row] = vi;
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
            vi += count;
            li = end;
            row++;
        }
        Finish(row, vi);
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
