const fast=require('./dist/grader/lab/fastnet.js'); const {loadMnist}=require('./dist/grader/lab/mnist.js');
const m=loadMnist({});
const net=fast.trainRecipe({...fast.NOTES_RECIPE, epochs:1}, m.train, 1);
for (let r=0;r<4;r++){ for (const th of [1,2]) { let t=performance.now(); const a=fast.evaluate(net,m.train,'quadratic',th); const ms=performance.now()-t; t=performance.now(); const b=fast.evaluate(net,m.test,'quadratic',th); console.log('threads',th,'train',ms.toFixed(0),'ms',a.accuracy,a.cost,'test',(performance.now()-t).toFixed(0),b.accuracy,b.cost); } }
