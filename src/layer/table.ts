/** Prints the docs/layer.md table: npx tsx src/layer/table.ts LRS LAYERS [JSON config fields]. Not imported by the library. */
import { simulateLayer } from "./layer.ts";
import { summariseLayer, singleUnitPrediction, mixturePrediction } from "./summary.ts";
const lrs = (process.argv[2] ?? "0.05,0.1,0.2").split(",").map(Number);
const trials = Number(process.argv[3] ?? 40);
console.log("lr fraction clusterSE unit0 sigmaEff sigmaLabel loss nonFinite single se mix se groupSigmas ms overTime");
const extra = JSON.parse(process.argv[4] ?? "{}");
for (const lr of lrs) {
  const t0 = Date.now();
  const o = simulateLayer({ lr, ...extra }, { seed: 1, trials });
  const s = summariseLayer(o);
  const su = singleUnitPrediction(o, s.sigmaEff, { seed: 1, trials: 1000 }); const mx = mixturePrediction(o, { seed: 1, trials: 1600 });
  console.log(lr, s.final.fraction.toFixed(3), s.final.clusterSe.toFixed(3), "u0", s.firstUnit.p.toFixed(3), "sig", s.sigmaEff.toFixed(3), s.sigmaLabel.toFixed(3), "loss", s.meanFinalLoss.toFixed(3), "nf", s.nonFinite, "single", su.p.toFixed(3), su.se.toFixed(3), "mix", mx.p.toFixed(3), mx.se.toFixed(3), mx.sigmas.map(x=>x.toFixed(2)).join("/"), (Date.now()-t0)+"ms", s.overTime.map(p=>p.fraction.toFixed(2)).join(" "));
}
