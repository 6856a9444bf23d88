import { shardSizes, type PlanInput } from "./plan.ts";
import { toYaml, type Yaml } from "./yaml.ts";

export interface KubernetesOptions {
  image: string;
  /** a ReadWriteMany PersistentVolumeClaim, mounted at /data in every pod */
  volumeClaim: string;
}

/**
 * A manifest: the config as a ConfigMap, an Indexed Job whose pod i-1 runs shard i/n (`--shard auto
 * --shards n`: the pods are not told the Job's completions), and a merge Job that waits for the n
 * parts on the shared volume and merges them. A pod that fails or is evicted is replaced by one with
 * the same index, which resumes from the checkpoint next to its part.
 */
export function kubernetesPlan(p: PlanInput, o: KubernetesOptions): string {
  const n = p.tasks;
  const dir = `/data/${p.name}`;
  const labels = { "app.kubernetes.io/name": "bn-collapse", "bn-collapse/run": p.name };
  const volumes: Yaml = [
    { name: "data", persistentVolumeClaim: { claimName: o.volumeClaim } },
    { name: "config", configMap: { name: `${p.name}-config` } },
  ];
  const mounts: Yaml = [
    { name: "data", mountPath: "/data" },
    { name: "config", mountPath: "/config", readOnly: true },
  ];
  const shardScript = [
    "i=$((JOB_COMPLETION_INDEX + 1))",
    `part="${dir}/parts/part-$i.json"`,
    `mkdir -p "${dir}/parts"`,
    'if [ -f "$part" ] && [ ! -f "$part.checkpoint.jsonl" ]; then echo "shard $i: $part is already written"; exit 0; fi',
    `exec ${p.launcher} sweep --config /config/config.json --shard auto --shards ${n} --workers ${p.cpusPerTask} --out "$part"`,
    "",
  ].join("\n");
  const mergeScript = [
    `parts=""; for i in $(seq 1 ${n}); do parts="$parts ${dir}/parts/part-$i.json"; done`,
    "# a part is written atomically once its shard is done: wait until all are there",
    'until (for f in $parts; do [ -f "$f" ] || exit 1; done); do sleep 30; done',
    `exec ${p.launcher} merge $parts --out ${dir}/sweep.json`,
    "",
  ].join("\n");

  const configMap: Yaml = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `${p.name}-config`, labels },
    data: { "config.json": p.configJson },
  };
  const shards: Yaml = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: `${p.name}-shards`, labels },
    spec: {
      completionMode: "Indexed",
      completions: n,
      parallelism: n,
      backoffLimitPerIndex: 3,
      podFailurePolicy: {
        rules: [
          // exit code 2 is bad input: another try cannot help
          { action: "FailIndex", onExitCodes: { containerName: "shard", operator: "In", values: [2] } },
          // preempted, evicted, node drained: not counted against the retries
          { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] },
        ],
      },
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: "Never",
          containers: [{
            name: "shard",
            image: o.image,
            command: ["sh", "-c", shardScript],
            resources: { requests: { cpu: String(p.cpusPerTask), memory: "1Gi" }, limits: { cpu: String(p.cpusPerTask) } },
            volumeMounts: mounts,
          }],
          volumes,
        },
      },
    },
  };
  const merge: Yaml = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: `${p.name}-merge`, labels },
    spec: {
      backoffLimit: 2,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: "Never",
          containers: [{
            name: "merge",
            image: o.image,
            command: ["sh", "-c", mergeScript],
            resources: { requests: { cpu: "250m", memory: "512Mi" } },
            volumeMounts: mounts,
          }],
          volumes,
        },
      },
    },
  };
  const header = [
    `# bn-collapse plan for Kubernetes: ${shardSizes(p.gridCells, n)}, as an Indexed Job of`,
    `# ${n} pods with ${p.cpusPerTask} core${p.cpusPerTask === 1 ? "" : "s"} each, and a merge Job that waits for their ${n} parts.`,
    `#   made by: ${p.madeBy}`,
    "#",
    `# Needs an image with bn-collapse (${p.launcher}; docs/cluster.md has a Dockerfile) and a`,
    `# ReadWriteMany PersistentVolumeClaim "${o.volumeClaim}", mounted at /data: parts, checkpoints and the`,
    `# result ${dir}/sweep.json live there. Apply with: kubectl apply -f THIS_FILE`,
    "# A failed or evicted pod is replaced by one with the same index, which resumes from its checkpoint.",
    "# backoffLimitPerIndex needs Kubernetes 1.29 or later (on older clusters use backoffLimit instead).",
  ];
  return [header.join("\n") + "\n", toYaml(configMap), toYaml(shards), toYaml(merge)].join("---\n");
}
