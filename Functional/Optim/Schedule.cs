namespace Linen.Functional;

/// <summary>
/// <c>optax.Schedule</c>: a value (a learning rate, a weight decay) as a function of the step count.
/// Factories are in <see cref="Schedules"/>.
/// </summary>
/// <param name="step">The number of updates made so far (0 for the first update).</param>
public delegate float Schedule(long step);

/// <summary>
/// <c>optax.ScalarOrSchedule</c>: a constant or a <see cref="Schedule"/>. Converts implicitly from
/// <see cref="double"/>, <see cref="float"/> and <see cref="Schedule"/>, so optimizers take either.
/// </summary>
public readonly struct ScalarOrSchedule
{
    private ScalarOrSchedule(double value, Schedule? schedule) => (Value, Schedule) = (value, schedule);

    /// <summary>The constant (meaningful when <see cref="Schedule"/> is null).</summary>
    public double Value { get; }

    /// <summary>The schedule, or null for a constant.</summary>
    public Schedule? Schedule { get; }

    /// <summary>A constant.</summary>
    public static implicit operator ScalarOrSchedule(double value) => new(value, null);

    /// <summary>A constant.</summary>
    public static implicit operator ScalarOrSchedule(float value) => new(value, null);

    /// <summary>A schedule.</summary>
    public static implicit operator ScalarOrSchedule(Schedule schedule) =>
        new(0, schedule ?? throw new ArgumentNullException(nameof(schedule)));

    /// <inheritdoc />
    public override string ToString() => Schedule is null ? Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "schedule";
}
