"""Check of the OSW U(t) implementation against the exact E[U] (20 samples, n = 20,000).

Usage (from /work/scratch/extrap): nice -n 10 /work/main/.venv/bin/python sim/osw_check.py
"""
import sys, numpy as np, math
sys.path.insert(0,'.')
sys.path.insert(0,'sim')
from run_sim import zipf, uniform
from singletons_extrap._fof import fof_from_counts
from singletons_extrap.missing_mass import osw_new_species, expected_missing_mass
for name,p in [('zipf1.5',zipf(1.5,10**6)),('zipf1.1',zipf(1.1,10**6)),('unif1e5',uniform(10**5))]:
    cdf=np.cumsum(p); cdf[-1]=1
    n=20000
    lp=np.log1p(-p)
    for u in (1,4,9,19,99):
        true=float(np.dot(np.exp(n*lp), 1-np.exp(u*n*lp)))
        ests={s:[] for s in ('binomial','binomial_et','poisson')}
        secs=[]
        for rep in range(20):
            rng=np.random.default_rng(rep)
            c=np.bincount(np.searchsorted(cdf,rng.random(n),side='right'))
            r,nr,N=fof_from_counts(c)
            for s in ests: ests[s].append(osw_new_species(r,nr,u,s,N))
            h=1.15
            secs.append((osw_new_species(r,nr,u*h,'binomial',N)-osw_new_species(r,nr,u/h,'binomial',N))/(N*u*(h-1/h)))
        mt=expected_missing_mass(p,(1+u)*n)
        print(name,u,'U true %.0f'%true, {s:('%.3f±%.3f'%(np.mean(v)/true,np.std(v)/true)) for s,v in ests.items()}, 'secantM/M %.3f±%.3f'%(np.mean(secs)/mt,np.std(secs)/mt))
