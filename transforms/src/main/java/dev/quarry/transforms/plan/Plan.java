package dev.quarry.transforms.plan;

import dev.quarry.schemas.ContainerSegments;
import dev.quarry.schemas.Job;
import dev.quarry.schemas.PlannedFile;
import java.util.List;

/**
 * The whole plan: every job (in execution order: wasmKey order, then path, start, end, segmentUid) and every
 * manifest file with its prefilled {@code files} row; and the segments of every container that was segmented, in
 * manifest order, which the snapshot keeps for the next run's planner.
 */
public record Plan(List<Job> jobs, List<PlannedFile> files, PlanSummary summary, List<ContainerSegments> containers) {}
